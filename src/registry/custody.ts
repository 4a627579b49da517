// Plans the transfers of one filing against the chips' current custody (pure): what changes, whether
// a foreign location or entity is involved, each chip's next state, and the custody flags:
//   non_owner_transfer          ownership passes from a filer who is not the chip's recorded owner
//   location_without_ownership  the filer moves a chip no record shows it owns (unknown chip or other owner)
//   lost_reappears              a chip reported lost (or destroyed) is filed as active again
//   active_in_two_places        two transfers of one active chip to different locations overlap in time
import type { FiledItem, ItemStatus } from './validate.js';

export type FlagKind = 'non_owner_transfer' | 'active_in_two_places' | 'lost_reappears' | 'location_without_ownership';
export interface Flag {
  kind: FlagKind;
  detail: string;
}

export interface ChipState {
  status: ItemStatus;
  ownerId: number | null;
  ownerNameKey: string | null;
  ownerName: string | null;
  locationId: number | null;
  locationCountry: string | null;
  locationAddress: string | null;
  lastBegin: string | null;
  lastComplete: string | null;
  product: string;
  eccn: string;
}

export interface Filer {
  partyId: number;
  nameKey: string;
  name: string;
  country: string | null;
}
export interface ResolvedParty {
  id: number;
  nameKey: string;
  country: string;
}
export interface ResolvedLocation {
  id: number;
  country: string;
  address: string;
}

export interface PlannedTransfer {
  item: FiledItem;
  fromOwnerId: number;
  toOwnerId: number;
  fromLocationId: number | null;
  toLocationId: number | null;
  ownershipChange: boolean;
  locationChange: boolean;
  foreignInvolved: boolean;
  flags: Flag[];
  /** The chip's state after this filing (unchanged when the transfer predates the current one). */
  next: Omit<ChipState, 'ownerNameKey' | 'ownerName' | 'locationCountry' | 'locationAddress'>;
}

export interface PlanInput {
  filer: Filer;
  homeCountry: string;
  item: FiledItem;
  state: ChipState | undefined;
  owner: ResolvedParty | null;
  location: ResolvedLocation | null;
}

export function planTransfer({ filer, homeCountry, item, state, owner, location }: PlanInput): PlannedTransfer {
  const toOwnerId = owner?.id ?? filer.partyId;
  const ownershipChange = owner !== null && owner.nameKey !== filer.nameKey;
  const fromLocationId = state?.locationId ?? null;
  const toLocationId = location?.id ?? fromLocationId;
  const locationChange = location !== null && location.id !== fromLocationId;
  const countries = [owner?.country, location?.country, state?.locationCountry, filer.country];
  const foreignInvolved = countries.some((c) => c != null && c !== homeCountry);

  const flags: Flag[] = [];
  const recordedOwner = state?.ownerNameKey ?? null;
  const filerOwns = recordedOwner !== null && recordedOwner === filer.nameKey;
  if (ownershipChange && recordedOwner !== null && !filerOwns) {
    flags.push({
      kind: 'non_owner_transfer',
      detail: `${filer.name} transferred ${item.serial} but the recorded owner is ${state?.ownerName}`,
    });
  }
  if (locationChange && !ownershipChange && !filerOwns) {
    flags.push({
      kind: 'location_without_ownership',
      detail:
        recordedOwner === null
          ? `${filer.name} moved ${item.serial}, which no ownership record shows it owns`
          : `${filer.name} moved ${item.serial}, whose recorded owner is ${state?.ownerName}`,
    });
  }
  if (state && state.status !== 'active' && item.status === 'active') {
    flags.push({
      kind: 'lost_reappears',
      detail: `${item.serial} was reported ${state.status} and is filed as active again`,
    });
  }
  if (
    state &&
    state.status === 'active' &&
    item.status === 'active' &&
    locationChange &&
    state.lastBegin &&
    state.lastComplete &&
    item.begin <= state.lastComplete &&
    state.lastBegin <= item.complete
  ) {
    flags.push({
      kind: 'active_in_two_places',
      detail:
        `${item.serial} filed to ${location?.address} (${item.begin}..${item.complete}) while its transfer to ` +
        `${state.locationAddress ?? 'another location'} (${state.lastBegin}..${state.lastComplete}) is under way`,
    });
  }

  // Custody follows the transfer with the latest begin date; a backfilled older one changes nothing.
  const current = !state || state.lastBegin === null || item.begin >= state.lastBegin;
  const next = current
    ? {
        status: item.status,
        ownerId: toOwnerId,
        locationId: toLocationId,
        lastBegin: item.begin,
        lastComplete: item.complete,
        product: item.product,
        eccn: item.eccn,
      }
    : {
        status: state.status,
        ownerId: state.ownerId,
        locationId: state.locationId,
        lastBegin: state.lastBegin,
        lastComplete: state.lastComplete,
        product: state.product,
        eccn: state.eccn,
      };
  return {
    item,
    fromOwnerId: filer.partyId,
    toOwnerId,
    fromLocationId,
    toLocationId,
    ownershipChange,
    locationChange,
    foreignInvolved,
    flags,
    next,
  };
}
