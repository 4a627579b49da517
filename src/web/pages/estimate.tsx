// The Estimate page.
export function EstimatePage(_props: Record<string, unknown>) {
  return (
    <main id="main">
      <h1>Estimate</h1>
    </main>
  );
}
