package org.troupedb.sql.internal;

import org.troupedb.testkit.InMemoryTxnService;
import org.troupedb.testkit.TxnServiceContractTest;

import org.troupedb.txn.TxnService;

class InMemoryTxnServiceTest extends TxnServiceContractTest {
  private final InMemoryTxnService service = new InMemoryTxnService();

  @Override
  protected TxnService service() {
    return service;
  }
}
