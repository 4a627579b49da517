// libsodium, initialised once: every entry point of the tips domain awaits loadSodium() before using it.
import sodiumModule from 'libsodium-wrappers';

let ready = false;

export async function loadSodium(): Promise<typeof sodiumModule> {
  await sodiumModule.ready;
  ready = true;
  return sodiumModule;
}

/** The initialised library (loadSodium() must have resolved first). */
export function sodium(): typeof sodiumModule {
  if (!ready) throw new Error('libsodium used before loadSodium()');
  return sodiumModule;
}
