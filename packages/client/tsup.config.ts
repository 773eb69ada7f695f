import { packageConfig } from '../../tsup.packages';

export default packageConfig();
