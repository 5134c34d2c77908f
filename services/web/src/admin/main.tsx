import { render } from "preact";
import "../shared/styles.css";
import { Console } from "./Console";

render(<Console />, document.getElementById("app")!);
