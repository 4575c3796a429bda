// How much partner precedent a dossier lists: the newest few at first, up to the most on request.
// Shared by the server (how many to read) and the page (what its links say).
export const PRECEDENT_FEW = 5;
export const PRECEDENT_MAX = 50;
