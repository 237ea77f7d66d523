// 所在地: where an IP address is (本机, 内网, or province + city from an offline database), for the
// phone's confirm page and for comparing the asker with the phone.
export { loadRegionDatabase, type Region, regionOf } from "./lookup";
