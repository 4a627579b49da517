// The signed-in API key, kept in sessionStorage (gone when the tab closes) and sent as a Bearer token.
const KEY = 'chipwatch.apiKey';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY);
}
