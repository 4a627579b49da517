// The Tips page (investigators only): what the tips API offers today, pointing to the CLI for the sealed
// inbox until the browser decrypts it (docs/tips.md).
export function TipsPage() {
  return (
    <main id="main">
      <h1>Tips</h1>
      <p>
        The investigators' inbox decrypts tips with the investigator's private key; in this release that runs in the CLI
        (<code>chipwatch tips</code>, see the tips documentation), not in the browser.
      </p>
    </main>
  );
}
