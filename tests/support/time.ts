// One morning the pure machines' tests start from, and minutes after it.
export const T0 = new Date("2024-03-01T08:00:00.000Z");
export const MIN = 60_000;
export const at = (ms: number) => new Date(T0.getTime() + ms);
