import type { FunctionComponent } from "preact";
import { matchRoute, type Params, type Route, usePathname } from "../common/router";
import { Company } from "./screens/Company";
import { Confirm } from "./screens/Confirm";
import { Download } from "./screens/Download";
import { Home } from "./screens/Home";
import { Login } from "./screens/Login";
import { NotFound } from "./screens/NotFound";
import { Register } from "./screens/Register";
import { Scan } from "./screens/Scan";

// The phone pages (the 个人所得税APP's stand-in), one screen per path under /app.
export const APP_ROUTES: Route<FunctionComponent<{ params: Params }>>[] = [
  { path: "/app", view: () => <Home /> },
  { path: "/app/login", view: () => <Login /> },
  { path: "/app/scan", view: () => <Scan /> },
  { path: "/app/qr/:id", view: ({ params }) => <Confirm ticketId={params.id ?? ""} /> },
  { path: "/app/register", view: () => <Register /> },
  { path: "/app/company", view: () => <Company /> },
  { path: "/app/download", view: () => <Download /> },
];

export function App() {
  const path = usePathname();
  const match = matchRoute(APP_ROUTES, path);
  if (!match) return <NotFound />;
  const View = match.view;
  // Keyed by path: /app/qr/a → /app/qr/b is a new screen, not a re-used one.
  return <View key={path} params={match.params} />;
}
