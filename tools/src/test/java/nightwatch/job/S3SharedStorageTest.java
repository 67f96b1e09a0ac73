package nightwatch.job;

import nightwatch.storage.TestStores;

/** The shared-storage contract on a real S3 API (S3Proxy on 127.0.0.1), through Hadoop's s3a connector. */
class S3SharedStorageTest extends SharedStorageContract {
  @Override
  String storeRoot() {
    return TestStores.s3Uri() + "/nightwatch";
  }
}
