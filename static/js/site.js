// Coursedeck's own JavaScript: progressive enhancement only; every page works without it.
