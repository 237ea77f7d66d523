import "../common/strict-csp";
import { render } from "preact";
import "../common/base.css";
import "./portal.css";
import { Portal } from "./Portal";

const root = document.getElementById("app");
if (root) render(<Portal />, root);
