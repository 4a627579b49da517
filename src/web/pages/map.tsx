// The Map page: every chip at its declared site coloured by its last verdict, the declared sites, the landmarks,
// the restricted countries, and the feasible region of a selected chip; filters by verdict, exporter and ship
// date. The chip data is one compact request (GET /api/verify/map); the shapes are Natural Earth's, served with
// the application (no tile server).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import type { Feature, FeatureCollection } from 'geojson';
import atlasUrl from 'world-atlas/countries-50m.json?url';
import { ALPHA2_TO_NUMERIC, DEFAULT_RESTRICTED } from '../../geo/iso';
import { api } from '../api';
import { follow } from '../router';
import { Show, useLoad } from '../ui/table';
import { drawScene, nearestChip, projectionFor, VERDICT_COLOURS, type Points } from '../map/draw';

interface MapData {
  chips: {
    serial: string[];
    lat: (number | null)[];
    lon: (number | null)[];
    verdict: (string | null)[];
    shipment: (string | null)[];
    shipped: (string | null)[];
  };
  landmarks: { id: string; lat: number; lon: number }[];
}
interface Sites {
  features: { geometry: { coordinates: [number, number] } | null }[];
}

/**
 * The exporter a shipment belongs to: the first part of its name, before '/' (EXPORTER/BATCH) or else before
 * '-' (the demo world's ACME-2025-07). The verifier knows shipments, not exporters.
 */
export function exporterOf(shipment: string | null): string {
  if (!shipment) return '(none)';
  const cut = shipment.includes('/') ? shipment.indexOf('/') : shipment.indexOf('-');
  return cut > 0 ? shipment.slice(0, cut) : shipment;
}

async function loadAll(): Promise<{ data: MapData; countries: FeatureCollection; sites: [number, number][] }> {
  const [data, atlas, sites] = await Promise.all([
    api<MapData>('/verify/map'),
    fetch(atlasUrl).then((r) => r.json() as Promise<Topology>),
    api<Sites>('/registry/locations.geojson'),
  ]);
  const countries = feature(atlas, atlas.objects.countries) as unknown as FeatureCollection;
  const coords = sites.features.flatMap((f) => (f.geometry ? [f.geometry.coordinates] : []));
  return { data, countries, sites: coords };
}

const WIDTH = 1200;
const HEIGHT = 620;

function MapView({
  data,
  countries,
  sites,
}: {
  data: MapData;
  countries: FeatureCollection;
  sites: [number, number][];
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [verdict, setVerdict] = useState('');
  const [exporter, setExporter] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [region, setRegion] = useState<Feature | null>(null);
  const [drawMs, setDrawMs] = useState<number | null>(null);
  const c = data.chips;
  const exporters = useMemo(() => [...new Set(c.shipment.map(exporterOf))].sort(), [c]);
  const shown = useMemo(() => {
    const out: number[] = [];
    for (let i = 0; i < c.serial.length; i++) {
      if (verdict && (c.verdict[i] ?? 'unchecked') !== verdict) continue;
      if (exporter && exporterOf(c.shipment[i]) !== exporter) continue;
      if (from && (c.shipped[i] ?? '') < from) continue;
      if (to && (c.shipped[i] ?? '9999') > to) continue;
      out.push(i);
    }
    return Uint32Array.from(out);
  }, [c, verdict, exporter, from, to]);
  const points: Points = { shown, lat: c.lat, lon: c.lon, verdict: c.verdict };
  const projection = useMemo(() => projectionFor(WIDTH, HEIGHT), []);
  const restricted = useMemo(() => new Set(DEFAULT_RESTRICTED.map((a) => ALPHA2_TO_NUMERIC.get(a) ?? '')), []);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const ms = drawScene(ctx, projection, {
      countries,
      restricted,
      sites,
      landmarks: data.landmarks,
      points,
      region,
      selected,
    });
    setDrawMs(ms);
  }, [shown, region, selected, countries, sites, data]);
  useEffect(() => {
    setRegion(null);
    if (selected === null || !c.verdict[selected]) return;
    let live = true;
    api<{ region: Feature }>(`/verify/region?serial=${encodeURIComponent(c.serial[selected])}`)
      .then((r) => live && setRegion(r.region))
      .catch(() => live && setRegion(null));
    return () => {
      live = false;
    };
  }, [selected, c]);
  const pick = (e: MouseEvent) => {
    const el = canvas.current!;
    const box = el.getBoundingClientRect();
    const x = ((e.clientX - box.left) * WIDTH) / box.width;
    const y = ((e.clientY - box.top) * HEIGHT) / box.height;
    setSelected(nearestChip(projection, points, x, y));
  };
  const counts = new Map<string, number>();
  for (const i of shown) counts.set(c.verdict[i] ?? 'unchecked', (counts.get(c.verdict[i] ?? 'unchecked') ?? 0) + 1);
  const list = [...shown].sort(
    (a, b) => Number(c.verdict[b] === 'inconsistent') - Number(c.verdict[a] === 'inconsistent'),
  );
  return (
    <>
      <form class="filters" aria-label="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Verdict
          <select
            id="filter-verdict"
            value={verdict}
            onChange={(e) => setVerdict((e.target as HTMLSelectElement).value)}
          >
            <option value="">all</option>
            {Object.keys(VERDICT_COLOURS).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          Exporter
          <select value={exporter} onChange={(e) => setExporter((e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            {exporters.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label>
          Shipped from
          <input type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          to
          <input type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
      </form>
      <p class="legend">
        {Object.entries(VERDICT_COLOURS).map(([v, colour]) => (
          <span key={v}>
            <Swatch colour={colour} /> {v}: {counts.get(v) ?? 0}
          </span>
        ))}
        <span>□ declared site · ▲ landmark · red countries: restricted</span>
      </p>
      <canvas
        ref={canvas}
        class="map"
        width={WIDTH}
        height={HEIGHT}
        data-chips={shown.length}
        data-draw-ms={drawMs ?? ''}
        onClick={pick}
        role="img"
        aria-label={`map of ${shown.length} chips by last verdict`}
      />
      {selected !== null && (
        <section class="card" aria-label="selected chip">
          <p>
            Chip{' '}
            <a href={`/chip/${encodeURIComponent(c.serial[selected])}`} onClick={follow}>
              {c.serial[selected]}
            </a>
            : {c.verdict[selected] ?? 'not checked yet'} · shipment {c.shipment[selected] ?? '—'} · shipped{' '}
            {c.shipped[selected] ?? '—'}
            {region?.geometry ? ' · feasible region drawn in red' : ''}
          </p>
        </section>
      )}
      <table>
        <caption>Chips shown (first 20, inconsistent first)</caption>
        <thead>
          <tr>
            <th scope="col">Chip</th>
            <th scope="col">Verdict</th>
            <th scope="col">Exporter</th>
            <th scope="col">Shipped</th>
          </tr>
        </thead>
        <tbody>
          {list.slice(0, 20).map((i) => (
            <tr key={i}>
              <td>
                <a href={`/chip/${encodeURIComponent(c.serial[i])}`} onClick={follow}>
                  {c.serial[i]}
                </a>{' '}
                <button type="button" class="secondary" onClick={() => setSelected(i)}>
                  show<span class="sr-only"> {c.serial[i]} on the map</span>
                </button>
              </td>
              <td class={`verdict-${c.verdict[i] ?? 'unchecked'}`}>{c.verdict[i] ?? 'unchecked'}</td>
              <td>{exporterOf(c.shipment[i])}</td>
              <td>{c.shipped[i] ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Swatch({ colour }: { colour: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.style.background = colour; // CSSOM, allowed by the CSP (no style attribute)
  }, [colour]);
  return <span class="swatch" ref={ref} aria-hidden="true" />;
}

export function MapPage() {
  const [loaded] = useLoad(loadAll, []);
  return (
    <main id="main">
      <h1>Map</h1>
      <Show loaded={loaded}>{(v) => <MapView {...v} />}</Show>
    </main>
  );
}
