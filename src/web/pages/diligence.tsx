// The Due diligence page.
export function DiligencePage(_props: Record<string, unknown>) {
  return (
    <main id="main">
      <h1>Due diligence</h1>
    </main>
  );
}
