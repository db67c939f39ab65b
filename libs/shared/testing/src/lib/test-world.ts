// One shape for the component-test world of both registries: an app over fakes a spec reads, plus what a spec
// does to that world (make an account, start a second replica, restart with another configuration, close it all).

/** What a registry app gives its world: accounts (one identity store for both registries) and a close. */
export interface WorldApp {
  identity: {
    createUser(input: { name: string; password: string }): Promise<unknown>;
    createToken(name: string): Promise<{ secret: string }>;
  };
  close(): Promise<void>;
}

export type TestWorld<App extends WorldApp, Fakes extends object, More> = App & Fakes & {
  /** Creates an account and returns a token of its own (twine's `__token__` password, npm's Bearer token). */
  userToken(name: string, password: string): Promise<string>;
  /** A second instance over the same fakes (another replica), its options replacing the world's; its caller closes it. */
  instance(more?: More): Promise<App>;
  /** Closes this app and starts a new one over the same fakes (a restart, a configuration change). */
  restart(more?: More): Promise<TestWorld<App, Fakes, More>>;
  /** Closes the app, then whatever the fakes hold open (the fixture upstream). */
  close(): Promise<void>;
};

/** Builds the world around `start` (the app over `fakes`); `stopFakes` runs after the app's close. */
async function startTestWorld<App extends WorldApp, Fakes extends object, More>(
  fakes: Fakes, start: (more?: More) => Promise<App>, stopFakes: () => Promise<void>,
): Promise<TestWorld<App, Fakes, More>> {
  const world = (app: App): TestWorld<App, Fakes, More> => ({
    ...app, ...fakes, instance: start,
    userToken: async (name, password) => {
      await app.identity.createUser({ name, password });
      return (await app.identity.createToken(name)).secret;
    },
    restart: async (more) => {
      await app.close();
      return world(await start(more));
    },
    close: async () => {
      await app.close();
      await stopFakes();
    },
  });
  return world(await start());
}

/** What a spec may set of a registry's harness options (the rest is the world's); `upstream: false` goes beside. */
export type WorldOptions<HarnessOptions> = Omit<HarnessOptions, 'store' | 'audit' | 'upstream' | 'upstreamUrl'>;

/** A registry's `startHarness`: with a fixture upstream by default, without one given `upstream: false`. */
export interface StartWorld<App extends WorldApp, Fakes extends object, Upstream, Opts, More> {
  /** `upstream: false`: no fixture upstream, a private-only registry. */
  (opts?: Opts & { upstream?: true }): Promise<TestWorld<App, Fakes & { upstream: Upstream }, More>>;
  (opts: Opts & { upstream: false }): Promise<TestWorld<App, Fakes, More>>;
}
export type ProxiedWorld<S> = S extends StartWorld<infer A, infer F, infer U, infer _O, infer M> ? TestWorld<A, F & { upstream: U }, M> : never;
export type PrivateWorld<S> = S extends StartWorld<infer A, infer F, infer _U, infer _O, infer M> ? TestWorld<A, F, M> : never;

/** Makes a registry's `startHarness` from its fakes, its fixture upstream and how its app is built over them. */
export function worldStarter<App extends WorldApp, Fakes extends object, Upstream, Opts extends object, More>(
  makeFakes: () => Fakes,
  fixture: { start: () => Promise<Upstream>; stop: (upstream: Upstream) => Promise<void> },
  build: (world: Fakes & { upstream?: Upstream }, opts: Opts, more?: More) => Promise<App>,
): StartWorld<App, Fakes, Upstream, Opts, More> {
  const start = async (opts: Opts & { upstream?: boolean } = {} as Opts) => {
    const { upstream: proxied = true, ...rest } = opts;
    const upstream = proxied ? await fixture.start() : undefined;
    const fakes = makeFakes();
    const world = { ...fakes, ...(upstream === undefined ? {} : { upstream }) };
    return startTestWorld(world, (more?: More) => build(world, rest as Opts, more), async () => {
      if (upstream !== undefined) await fixture.stop(upstream);
    });
  };
  return start as StartWorld<App, Fakes, Upstream, Opts, More>;
}
