"""The store's record updates (no HTTP)."""

from __future__ import annotations

import pytest

from lowcoder_fake.models import Org
from lowcoder_fake.store import Store


def _store_with_org() -> tuple[Store, Org]:
    store = Store()
    org = Org(id="o1", name="Acme", gid="g1", contact_name="Ada")
    store.add_org(org)
    return store, org


def test_an_update_to_the_same_values_keeps_the_record() -> None:
    store, org = _store_with_org()
    assert store.update_org("o1", name="Acme", contact_name="Ada") is org
    assert store.org("o1") is org


def test_an_update_replaces_the_changed_fields_only() -> None:
    store, org = _store_with_org()
    updated = store.update_org("o1", name="Acme", contact_name="Grace")
    assert updated is not org
    assert (updated.name, updated.contact_name, updated.gid) == ("Acme", "Grace", "g1")
    assert store.org("o1") == updated
    assert org.contact_name == "Ada"  # the old record is untouched


def test_an_equal_value_of_another_type_is_a_change() -> None:
    store, _ = _store_with_org()
    store.update_org("o1", is_auto_generated=0)
    assert type(store.org("o1").is_auto_generated) is int  # type: ignore[union-attr]


def test_an_unknown_field_is_refused_by_name() -> None:
    store, org = _store_with_org()
    with pytest.raises(TypeError, match="'colour'"):
        store.update_org("o1", name="Acme", colour="red")
    assert store.org("o1") is org
