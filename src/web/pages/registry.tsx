// The Registry page.
export function RegistryPage(_props: Record<string, unknown>) {
  return (
    <main id="main">
      <h1>Registry</h1>
    </main>
  );
}
