// @ts-check
// A placeholder until this view is built.

/** @type {import('../app.js').View} */
export const defiView = {
  id: 'defi',
  title: 'DeFi',
  mount: (root) => {
    root.textContent = 'DeFi: not built yet';
  },
};
