// The Tips page.
export function TipsPage(_props: Record<string, unknown>) {
  return (
    <main id="main">
      <h1>Tips</h1>
    </main>
  );
}
