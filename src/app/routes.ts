// The app's pages besides the wizard (issue 13): /connections and /connections/<id>, real paths
// that the server serves drawn with their data.

export interface Route {
  pathname: string;
  search: string;
}

export function isConnectionsPath(pathname: string): boolean {
  return pathname === '/connections' || pathname.startsWith('/connections/');
}
