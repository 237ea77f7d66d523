// The honest state of a screen whose service is not connected yet: the page is laid out, its action
// says plainly that it cannot run.
export function Pending({ what }: { what: string }) {
  return (
    <p class="pending" role="status">
      {what}待接入，暂不可用。
    </p>
  );
}
