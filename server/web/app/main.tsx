import "../common/strict-csp";
import { render } from "preact";
import "../common/base.css";
import { registerNameGlyphs } from "../common/glyph-faces";
import "./app.css";
import { App } from "./App";

registerNameGlyphs();
const root = document.getElementById("app");
if (root) render(<App />, root);
