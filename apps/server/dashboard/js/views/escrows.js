// @ts-check
// A placeholder until this view is built.

/** @type {import('../app.js').View} */
export const escrowsView = {
  id: 'escrows',
  title: 'Escrows',
  mount: (root) => {
    root.textContent = 'Escrows: not built yet';
  },
};
