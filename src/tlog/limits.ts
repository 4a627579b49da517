// Limits shared by the HTTP routes and the remote client.
export const MAX_ENTRIES_PER_PAGE = 1000;
