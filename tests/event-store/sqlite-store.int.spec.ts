import { openSqliteStore } from '@ballast/event-store';
import { join } from 'node:path';
import { describeEventStoreContract } from './contract';
import { tempDir } from './fixtures';
import { describeEventStoreModel } from './model';

const sqlite = () => {
  const dir = tempDir('contract');
  const store = openSqliteStore(join(dir.path, 'ballast.db'));
  return {
    store,
    dispose: async () => {
      await store.close();
      dir.remove();
    },
  };
};

describeEventStoreContract('sqlite', sqlite);
describeEventStoreModel('sqlite', sqlite);
