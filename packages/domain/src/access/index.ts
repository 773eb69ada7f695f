export {
  RoleCodec,
  type Role,
  KeyIdCodec,
  type KeyIdBrand,
  type KeyHashBrand,
  KeyHashCodec,
  AccessCommandCodec,
  type AccessCommand,
  AccessEventCodec,
  type AccessEvent,
} from './access-codecs';
export {
  ACCESS_REJECTION_CODES,
  type AccessRejection,
  type AccessRejectionCode,
  type AccessKey,
  type AccessState,
  initialAccessState,
  evolveAccess,
  decideAccess,
  accessDecider,
} from './access-decide';
