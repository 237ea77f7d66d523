import { useEffect, useState } from "preact/hooks";
import { type ApiFailure, type ApiResult, appApi, type CompanyRecord } from "./api";
import { FormError, useSubmit } from "./form";
import { recordEvent, recordFrom, recordHow, recordTime, recordWho } from "./records";

// 办税记录 for the legal representative and the finance manager: who entered the company on a client,
// when (Beijing time), how and from where, and the wrong declaration passwords typed for it — newest
// first, 20 at a time with 「加载更多」 for older ones. The hub decides who may read it.

interface Props {
  taxId: string;
  token: string;
  guard<T>(r: ApiResult<T>): r is { ok: true; data: T };
  layout: "app" | "portal";
}

export function CompanyRecordsSection({ taxId, token, guard, layout }: Props) {
  const [rows, setRows] = useState<CompanyRecord[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, submit] = useSubmit();

  const load = (before?: string) =>
    submit(async () => {
      setError(null);
      const r = await appApi.records(token, taxId, before);
      if (!guard(r)) return setError(r.ok ? null : r.error);
      setRows((shown) => [...(before && shown ? shown : []), ...r.data.records]);
      setNext(r.data.next);
    });
  // load once per company
  useEffect(() => {
    void load();
  }, [taxId]);

  return (
    <section class="company-section records" aria-labelledby={`records-${taxId}`}>
      <h3 id={`records-${taxId}`}>办税记录</h3>
      <p class="muted small">
        办税人员在扣缴客户端进入本单位的记录，以及申报密码输入错误的记录（北京时间，最近的在前）。
      </p>
      {rows === null ? (
        !error && <p class="muted">正在读取…</p>
      ) : rows.length === 0 ? (
        <p class="empty">暂无办税记录</p>
      ) : layout === "portal" ? (
        <table class="table record-table">
          <thead>
            <tr>
              <th>时间</th>
              <th>办税人员</th>
              <th>事项</th>
              <th>方式</th>
              <th>IP地址</th>
              <th>所在地</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const from = recordFrom(r);
              return (
                <tr key={r.id} data-kind={r.kind}>
                  <td class="nowrap" data-label="时间">
                    {recordTime(r)}
                  </td>
                  <td data-label="办税人员">{recordWho(r)}</td>
                  <td data-label="事项" class={r.kind === "password_wrong" ? "record-wrong" : undefined}>
                    {recordEvent(r)}
                  </td>
                  <td data-label="方式">{recordHow(r)}</td>
                  <td data-label="IP地址" class="mono">
                    {from.address}
                  </td>
                  <td data-label="所在地">{from.region}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <ul class="record-list">
          {rows.map((r) => {
            const from = recordFrom(r);
            return (
              <li key={r.id} data-kind={r.kind}>
                <span class="record-head">
                  <strong class={r.kind === "password_wrong" ? "record-wrong" : undefined}>
                    {recordEvent(r)}
                  </strong>
                  <span class="muted small">{recordTime(r)}</span>
                </span>
                <span class="small">{recordWho(r)}</span>
                <span class="muted small">{recordHow(r)}</span>
                <span class="muted small">
                  <span class="mono">{from.address}</span> {from.region}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <FormError error={error} />
      {next && (
        <button type="button" class="button records-more" disabled={busy} onClick={() => load(next)}>
          {busy ? "正在读取…" : "加载更多"}
        </button>
      )}
    </section>
  );
}
