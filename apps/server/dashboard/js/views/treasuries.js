// @ts-check
// A placeholder until this view is built.

/** @type {import('../app.js').View} */
export const treasuriesView = {
  id: 'treasuries',
  title: 'Treasuries',
  mount: (root) => {
    root.textContent = 'Treasuries: not built yet';
  },
};
