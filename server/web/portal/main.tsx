import "../common/strict-csp";
import { render } from "preact";
import "../common/base.css";
import { registerNameGlyphs } from "../common/glyph-faces";
import "./portal.css";
import { Portal } from "./Portal";

registerNameGlyphs();
const root = document.getElementById("app");
if (root) render(<Portal />, root);
