import type { OriginCheck } from "../../shared/api/client-origin";
import type { HubToClient } from "../../shared/protocol";
import {
  type FlowEvent,
  type FlowState,
  hello,
  initialState,
  inProgress,
  type Persisted,
  persisted,
  restore,
  step,
  toView,
} from "../core/flow";
import { socketUrl } from "../core/hub-url";
import type { ClientView, UserAction } from "../core/view";
import { Connection, type ConnectionOptions, type SocketLike, State } from "./connection";

// The worker's client: one connection, one flow state, the store that outlives the worker, and
// the popup's copy of the state. Everything runtime-specific (chrome.*, WebSocket) comes in as deps,
// so tests drive it against the fake hub in plain Node.

export interface FlowStore {
  load(): Promise<Persisted | null>;
  save(value: Persisted | null): Promise<void>;
}

/** 记住账号: the last account, in chrome.storage.local (it outlives the browser; never a password). */
export interface AccountStore {
  load(): Promise<string | null>;
  save(account: string | null): Promise<void>;
}

export interface ClientDeps {
  hubUrl: string;
  store: FlowStore;
  account?: AccountStore;
  socket(url: string): SocketLike;
  /** Tell open popups the new state (they may all be closed: then nobody hears it). */
  publish(view: ClientView): void;
  /** The extension's version, sent in hello. */
  version: string;
  /** The computer's system, sent in hello (the hub shows it to the phone as claimed). */
  os?: string | undefined;
  /** Asks the hub whether it allows our Origin (a browser hides why an upgrade failed: a 403 looks
   *  like a lost network). Asked when a socket ends before its welcome. */
  checkOrigin?(hubUrl: string): Promise<OriginCheck | null>;
  now?: () => number;
  connection?: Pick<
    ConnectionOptions,
    "backoff" | "random" | "timers" | "pingEveryMs" | "handshakeTimeoutMs" | "silenceMs"
  >;
}

export class Client {
  private state: FlowState;
  private hubUrl: string;
  private watchers = 0;
  private saved = "";
  private savedAccount: string | undefined;
  private saving: Promise<void> = Promise.resolve();
  /** The current socket got its welcome. */
  private welcomed = false;
  private askingOrigin = false;
  readonly connection: Connection;

  private constructor(
    private readonly deps: ClientDeps,
    state: FlowState,
  ) {
    this.state = state;
    this.saved = JSON.stringify(persisted(state));
    this.savedAccount = state.remembered;
    this.hubUrl = deps.hubUrl;
    this.connection = new Connection({
      ...deps.connection,
      url: () => socketUrl(this.hubUrl),
      socket: deps.socket,
      hello: () => hello(this.state, deps.version, deps.os),
      onMessage: (msg: HubToClient) => {
        if (msg.type === "welcome") this.welcomed = true;
        this.dispatch({ kind: "hub", msg });
      },
      onState: ({ newState, code }) => this.dispatch({ kind: "link", state: newState, code }),
      onClosed: ({ code, reconnect }) => {
        this.dispatch({ kind: "link", state: this.connection.state, code });
        if (reconnect && !this.welcomed) this.askOrigin();
        this.welcomed = false;
      },
      shouldPing: () => this.watchers > 0 || inProgress(this.state),
    });
  }

  /** Load what a previous worker left and, if a login was under way, reconnect to resume it. */
  static async start(deps: ClientDeps): Promise<Client> {
    const remembered = (await deps.account?.load()) ?? undefined;
    const client = new Client(deps, restore(await deps.store.load(), remembered));
    if (inProgress(client.state)) client.connection.connect();
    return client;
  }

  view(): ClientView {
    return toView(this.state, this.hubUrl);
  }

  /** A popup opened: be connected while someone looks. Returns the matching "closed". */
  watch(): () => void {
    this.watchers++;
    if (!this.state.link.fatal) this.connection.connect();
    let done = false;
    return () => {
      if (!done) this.watchers--;
      done = true;
    };
  }

  act(action: UserAction): void {
    this.dispatch({ kind: "user", action });
  }

  /** Another hub: whatever was under way belonged to the old one. */
  setHubUrl(url: string): void {
    if (url === this.hubUrl) return;
    this.hubUrl = url;
    this.connection.disconnect(1000, "hub changed", false);
    const { refused: _other, ...link } = this.state.link; // that answer was about the old hub
    this.state = { ...initialState(), link, remembered: this.state.remembered };
    this.afterStep();
    if (this.watchers > 0) this.connection.connect();
  }

  stop(): void {
    this.connection.disconnect(1000, "client stopped", false);
  }

  /** Resolves once every state change so far is in the store. */
  flushed(): Promise<void> {
    return this.saving;
  }

  /** One question at a time; an answer about a hub we have since left is dropped. */
  private askOrigin(): void {
    const check = this.deps.checkOrigin;
    if (!check || this.askingOrigin) return;
    this.askingOrigin = true;
    const hubUrl = this.hubUrl;
    check(hubUrl)
      .then((answer) => {
        if (!answer || hubUrl !== this.hubUrl) return;
        this.dispatch({ kind: "origin", refused: answer.allowed ? undefined : (answer.origin ?? undefined) });
      })
      .finally(() => {
        this.askingOrigin = false;
      });
  }

  private dispatch(event: FlowEvent): void {
    const { state, effects } = step(this.state, event, (this.deps.now ?? Date.now)());
    this.state = state;
    for (const effect of effects) {
      if (effect.kind === "send") this.connection.send(effect.msg);
      else this.connection.connect();
    }
    this.afterStep();
  }

  private afterStep(): void {
    const account = this.state.remembered;
    if (account !== this.savedAccount && this.deps.account) {
      this.savedAccount = account;
      const store = this.deps.account;
      this.saving = this.saving
        .then(() => store.save(account ?? null))
        .catch((err) => {
          console.error("could not keep the account", err);
        });
    }
    const next = JSON.stringify(persisted(this.state));
    if (next !== this.saved) {
      this.saved = next;
      const value = JSON.parse(next) as Persisted;
      // Writes in order, so a slow write never lands after a newer one.
      this.saving = this.saving
        .then(() => this.deps.store.save(value))
        .catch((err) => {
          console.error("could not keep the login state", err);
        });
    }
    this.deps.publish(this.view());
  }
}

export { State };
