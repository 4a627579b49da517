// The Map page.
export function MapPage(_props: Record<string, unknown>) {
  return (
    <main id="main">
      <h1>Map</h1>
    </main>
  );
}
