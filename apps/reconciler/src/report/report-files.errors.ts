// The error of a report folder the reconciler cannot write to.
import { taggedError } from '@airtime/domain';

/** Why a file system error code stops a report folder, for people. */
const WHY: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'it cannot be created there',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EEXIST: 'something else is in the way',
};

/** The folder given for the report files cannot be created or written to; `systemCode` is the file system's (EACCES, ENOTDIR...). */
export class ReportFolderUnusable extends taggedError('ReportFolderUnusable', {
  code: 'REPORT_FOLDER_UNUSABLE',
  retryable: false,
})<{ readonly folder: string; readonly systemCode: string }>(
  (e) =>
    `cannot write report files in ${e.folder}: ${e.systemCode}${WHY[e.systemCode] === undefined ? '' : ` (${WHY[e.systemCode]})`}`,
) {}
