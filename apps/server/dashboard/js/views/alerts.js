// @ts-check
// A placeholder until this view is built.

/** @type {import('../app.js').View} */
export const alertsView = {
  id: 'alerts',
  title: 'Alerts',
  mount: (root) => {
    root.textContent = 'Alerts: not built yet';
  },
};
