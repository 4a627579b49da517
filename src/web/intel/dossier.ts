// Downloads an entity's dossier (Markdown or JSON) with the signed-in key: fetched, then saved from a blob URL,
// since a plain link would carry no Authorization header.
import { ApiError } from '../api';
import { storedKey } from '../session';

export async function downloadDossier(entityId: string, format: 'md' | 'json'): Promise<void> {
  const res = await fetch(`/api/intel/entities/${encodeURIComponent(entityId)}/dossier?format=${format}`, {
    headers: { authorization: `Bearer ${storedKey() ?? ''}` },
  });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({ detail: `HTTP ${res.status}` })));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `dossier-${entityId.replace(/[^\w.-]+/g, '_')}.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
