import { loadConfig } from "./config";
import { startHub } from "./hub";

const config = loadConfig();
const hub = await startHub(config);
console.log(`shiming hub ${config.nodeId} listening on ${hub.url} (public: ${config.publicUrl})`);
console.log(`  health:  ${hub.url}/healthz`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    hub.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
