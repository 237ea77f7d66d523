import { loadConfig } from "./config";
import { startHub } from "./hub";

const config = loadConfig();
const hub = await startHub(config);
console.log(`shiming hub ${config.nodeId} listening on ${hub.url} (public: ${config.publicUrl})`);
console.log(`  health:  ${hub.url}/healthz`);
console.log(`  socket:  ${hub.url.replace(/^http/, "ws")}/ws   events: ${hub.url}/dev/events`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    hub.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
