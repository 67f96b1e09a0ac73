package nightwatch.job;

import nightwatch.storage.TestStores;

/** The shared-storage contract on a real HDFS (NameNode and DataNode on 127.0.0.1). */
class HdfsSharedStorageTest extends SharedStorageContract {
  @Override
  String storeRoot() {
    return TestStores.hdfsUri() + "/nightwatch";
  }
}
