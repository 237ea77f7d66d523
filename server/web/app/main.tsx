import "../common/strict-csp";
import { render } from "preact";
import "../common/base.css";
import "./app.css";
import { App } from "./App";

const root = document.getElementById("app");
if (root) render(<App />, root);
