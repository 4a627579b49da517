// The web application's shell: sign in with an API key, a nav of the pages the key's role may open, and the page
// itself (or a clear refusal when the role may not see it).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api';
import { mayOpen, PAGES, pageOf, type Role } from './access';
import { follow, navigate, useLocation } from './router';
import { forgetKey, storedKey, storeKey } from './session';
import { RegistryPage } from './pages/registry';
import { DiligencePage } from './pages/diligence';
import { MapPage } from './pages/map';
import { ChipPage } from './pages/chip';
import { EstimatePage } from './pages/estimate';
import { TipsPage } from './pages/tips';
import { IntelPage } from './pages/intel';
import './style.css';

interface Me {
  role: Role;
  organisation: string | null;
}

function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const me = await api<Me>('/whoami', { key: key.trim() });
      storeKey(key.trim());
      onSignedIn(me);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the server could not be reached');
    }
  };
  return (
    <main id="main" class="signin">
      <h1>Sign in to chipwatch</h1>
      <form onSubmit={submit}>
        <label for="apikey">API key</label>
        <input
          id="apikey"
          name="apikey"
          type="password"
          autoComplete="off"
          placeholder="cw_…"
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Sign in</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <p class="hint">
        The demo server writes an administrator key to <code>.chipwatch/demo-admin.key</code>. The key stays in this tab
        only.
      </p>
      <p class="hint">
        Know of chips being smuggled? <a href="/tip/">Send a tip anonymously</a>: no account, and the form works without
        JavaScript.
      </p>
    </main>
  );
}

function Page({ path, me }: { path: string; me: Me }) {
  const page = pageOf(path);
  if (!page) {
    const first = PAGES.find((p) => mayOpen(p, me.role));
    return (
      <main id="main">
        <h1>chipwatch</h1>
        <p>
          Signed in as <strong>{me.role}</strong>
          {me.organisation ? ` of ${me.organisation}` : ''}. {first ? 'Choose a page above.' : ''}
        </p>
      </main>
    );
  }
  if (!mayOpen(page, me.role))
    return (
      <main id="main">
        <h1>{page.title}</h1>
        <p role="alert" class="refused">
          The {me.role} role may not open the {page.title} page. Sign in with a key of another role
          {page.roles === 'any' ? '' : ` (${page.roles.join(', ')})`}.
        </p>
      </main>
    );
  const rest = decodeURIComponent(path.slice(page.path.length + 1));
  switch (page.path) {
    case '/registry':
      return <RegistryPage role={me.role} />;
    case '/diligence':
      return <DiligencePage role={me.role} />;
    case '/map':
      return <MapPage />;
    case '/chip':
      return <ChipPage serial={rest} />;
    case '/estimate':
      return <EstimatePage />;
    case '/intel':
      return <IntelPage role={me.role} entity={rest} />;
    default:
      return <TipsPage />;
  }
}

function App() {
  const url = useLocation();
  const [me, setMe] = useState<Me | null | undefined>(storedKey() ? undefined : null);
  useEffect(() => {
    if (me !== undefined) return;
    api<Me>('/whoami')
      .then(setMe)
      .catch(() => {
        forgetKey();
        setMe(null);
      });
  }, [me]);
  if (me === undefined) return <p class="loading">Signing in…</p>;
  if (me === null) return <SignIn onSignedIn={setMe} />;
  const signOut = () => {
    forgetKey();
    setMe(null);
    navigate('/');
  };
  return (
    <>
      <header>
        <a href="/" class="brand" onClick={follow}>
          chipwatch
        </a>
        <nav aria-label="pages">
          {PAGES.filter((p) => mayOpen(p, me.role)).map((p) => (
            <a
              key={p.path}
              href={p.path}
              onClick={follow}
              aria-current={pageOf(url.pathname) === p ? 'page' : undefined}
            >
              {p.title}
            </a>
          ))}
        </nav>
        <span class="who">
          {me.role}
          {me.organisation ? ` · ${me.organisation}` : ''}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <Page path={url.pathname} me={me} />
    </>
  );
}

render(<App />, document.getElementById('app')!);
