/** The demo workspace's slug: the embedded default's shared secret reports there. */
export const DEMO_WORKSPACE_SLUG = "demo";
