// The Chip page.
export function ChipPage(_props: Record<string, unknown>) {
  return (
    <main id="main">
      <h1>Chip</h1>
    </main>
  );
}
