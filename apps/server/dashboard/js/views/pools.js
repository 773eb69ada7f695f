// @ts-check
// A placeholder until this view is built.

/** @type {import('../app.js').View} */
export const poolsView = {
  id: 'pools',
  title: 'Pools',
  mount: (root) => {
    root.textContent = 'Pools: not built yet';
  },
};
