// @ts-check
// A placeholder until this view is built.

/** @type {import('../app.js').View} */
export const eventsView = {
  id: 'events',
  title: 'Events',
  mount: (root) => {
    root.textContent = 'Events: not built yet';
  },
};
