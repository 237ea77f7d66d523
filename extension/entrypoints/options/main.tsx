import { render } from "preact";
import "../../components/style.css";
import { Options } from "../../components/Options";
import { hubUrlItem } from "../../worker/storage";

const root = document.getElementById("app");
if (root) {
  hubUrlItem.getValue().then((initial) => {
    render(<Options initial={initial} save={(url) => hubUrlItem.setValue(url)} />, root);
  });
}
