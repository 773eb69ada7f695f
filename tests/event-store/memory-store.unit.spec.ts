import { openMemoryStore } from '@ballast/event-store';
import { describeEventStoreContract } from './contract';
import { describeEventStoreModel } from './model';

const memory = () => {
  const store = openMemoryStore();
  return { store, dispose: () => store.close() };
};

describeEventStoreContract('memory', memory);
describeEventStoreModel('memory', memory);
