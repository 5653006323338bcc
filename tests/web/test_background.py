"""What a server reads of a whole build in the background (govkg.web.background)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from govkg.web.background import read_classes
from govkg.web.site import Dataset, void_graph
from local_servers import run_coroutine

TASK = "https://w3id.org/govkg/ontology#Task"


def _server(entities_fail: bool) -> SimpleNamespace:
    async def select(query: str, pool=None, deadline=None):
        if "GROUP BY ?c" in query:
            return [{"c": {"type": "uri", "value": TASK}, "n": {"type": "literal", "value": "516"}}]
        if entities_fail:
            raise RuntimeError("the query needs more than the 2048 MB a query may use")
        return [{"n": {"type": "literal", "value": "2000"}}]

    return SimpleNamespace(select=select)


def test_void_goes_without_its_entity_count_when_counting_them_runs_out_of_memory():
    dataset = URIRef("http://127.0.0.1:8000/void#dataset")
    for fails, expected in ((False, 2000), (True, None)):
        classes, entities = run_coroutine(read_classes(_server(entities_fail=fails)))
        assert classes == {TASK: 516} and entities == expected
        data = Dataset(Path("."), "https://w3id.org/govkg/id/")
        data.classes = classes
        if entities is not None:
            data.counts["entities"] = entities
        triples = void_graph(data, "http://127.0.0.1:8000")
        void = Graph().parse(data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
        counted = void.value(dataset, VOID.entities)
        assert (int(counted) if counted is not None else None) == expected
        # the class partitions are there either way
        assert [int(void.value(part, VOID.entities)) for part in void.objects(dataset, VOID.classPartition)] == [516]


def _facts(build: Path) -> tuple[object, list[tuple[str, float | None]]]:
    """A server's facts of a build folder, read with a select that records what it is asked (and finds 5 plans)."""
    from govkg.web.app import Server, ServerSettings

    server = Server(ServerSettings(build_dir=build, deadline=10.0))
    asked: list[tuple[str, float | None]] = []

    async def select(query: str, pool=None, deadline=None):
        asked.append((query, deadline))
        if "GROUP BY ?c" in query:
            return [{"c": {"type": "uri", "value": "https://w3id.org/govkg/ontology#WorkPlan"},
                     "n": {"type": "literal", "value": "5"}}]
        return []

    try:
        server.select = select
        run_coroutine(server.load_facts())
    finally:
        run_coroutine(server.close())
    return server, asked


def _manifest(build: Path) -> dict:
    import json

    return json.loads((build / "manifest.json").read_text(encoding="utf-8"))


def test_the_build_counts_are_read_from_its_manifest_and_the_facts_may_outlast_a_request(built, tmp_path):
    # At 25,000 documents on a slow day, counting the tasks, units, groups and people took longer than the 10 s a
    # request may: the server did not start. The build counts every class and the typed resources in all (its
    # manifest's "typed"), and the server asks the store for none of them: the home page's counts and VoID's.
    import json
    import shutil

    from govkg.web.app import FACTS_DEADLINE

    server, asked = _facts(built)
    result, typed = _manifest(built)["result"], _manifest(built)["typed"]
    assert server.data.counts["tasks"] == result["tasks"] == typed["classes"][TASK] == 516  # the samples' tasks
    assert {key: server.data.counts[key] for key in ("units", "groups", "people")} == {
        key: result[key] for key in ("units", "groups", "people")}
    assert server.data.counts["plans"] == 5 and server.data.counts["targets"] == 265  # the samples' 265 targets
    assert server.data.classes == typed["classes"] and server.data.counts["entities"] == typed["entities"]
    assert not [query for query, _ in asked if "GROUP BY ?c" in query]
    assert all(deadline >= FACTS_DEADLINE for _, deadline in asked)
    # The manifest of a build before the type counts: the summary's four taken, the plans and targets counted
    # (with the facts' own deadline), and the classes left to the background read.
    older = tmp_path / "older"
    shutil.copytree(built, older)
    manifest = _manifest(older)
    del manifest["typed"]
    (older / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    server, asked = _facts(older)
    assert server.data.counts["tasks"] == 516 and server.data.classes is None
    [count] = [query for query, _ in asked if "GROUP BY ?c" in query]
    assert "ontology#WorkPlan>" in count and "ontology#Target>" in count and "ontology#Task>" not in count
    assert server.data.counts["plans"] == 5 and server.data.counts["targets"] == 0
    assert all(deadline >= FACTS_DEADLINE for _, deadline in asked)


def test_void_says_what_the_manifest_counted_without_reading_the_classes(built, tmp_path, monkeypatch):
    # the counts the build recorded are the store's (tests/graph_build/test_incremental_store.py); here a copy of
    # the build whose manifest records other ones shows where VoID and the home page take them from
    import json
    import shutil

    from fastapi.testclient import TestClient

    from govkg.web import app as web
    from govkg.web import background

    async def no_read(server):
        raise AssertionError("the classes were read from the store")

    monkeypatch.setitem(background._READS, "classes", (no_read, None))
    monkeypatch.setenv("GOVKG_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    manifest = _manifest(copy)
    manifest["typed"]["classes"][TASK] = 999
    manifest["typed"]["entities"] = 12345
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with TestClient(web.create_app(web.ServerSettings(copy, workers=1))) as client:
        response = client.get("/void", headers={"Accept": "text/turtle"})
        home = client.get("/").text
    assert response.status_code == 200
    void = Graph().parse(data=response.text, format="turtle")
    dataset = next(void.subjects(VOID.classPartition, None))
    assert int(void.value(dataset, VOID.entities)) == 12345
    partitions = {str(void.value(part, VOID["class"])): int(void.value(part, VOID.entities))
                  for part in void.objects(dataset, VOID.classPartition)}
    assert partitions[TASK] == 999 and len(partitions) == len(manifest["typed"]["classes"])
    assert "999" in home and "516" not in home


# --- a rebuild's indexes: the previous build's, with the changed issuers' names and statements read again ---------

def _names(index) -> dict[str, list[tuple[str, ...]]]:
    return {kind: [(n.label, n.name, n.issuer, n.iri, n.year, n.gov) for n in index.of_kind(kind)]
            for kind in index.kinds}


def _texts(texts) -> list[tuple[str, str]]:
    return [(texts.iris[index], texts.statements[index]) for index in range(len(texts.iris))]


def test_a_rebuild_has_its_changed_issuers_names_and_statements_read_again_and_the_rest_kept(tmp_path, caplog):
    import asyncio
    import logging

    import govkg
    from govkg.web.app import Server, ServerSettings
    from govkg.web.ask import read_names
    from govkg.web.textsearch import read_task_texts
    from sample_docs import copy_samples

    source = tmp_path / "source"
    source.mkdir()
    copy_samples(("000", "002"), source)  # 000: 钟楼区 (320404), 002: 武进区 (320412)
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    changed = next(source.glob("002_*.txt"))
    text = changed.read_text(encoding="utf-8")
    # by hand: the sample's first 住建局 renamed, its first statement "地区生产总值增长8%。" given another rate
    assert "住房城乡建设局" not in text and "地区生产总值增长8%。" in text and "地区生产总值增长9%。" not in text
    text = text.replace("住建局", "住房城乡建设局", 1).replace("地区生产总值增长8%。", "地区生产总值增长9%。", 1)
    changed.write_text(text, encoding="utf-8")

    async def scenario():
        server = Server(ServerSettings(build_dir=out, follow=0))
        await server.pool.start()
        try:
            await server.load_facts()
            server.indexes.warm()
            before = _names(await server.indexes.names()), _texts(await server.indexes.tasks())
            first_plans = server.data.plans
            await asyncio.to_thread(govkg.build, [source], out, dumps="shares")
            await server.switch()
            after = _names(await server.indexes.names()), _texts(await server.indexes.tasks())
            whole = _names(await read_names(server)), _texts(await read_task_texts(server))
            plans, fresh = server.data.plans, Dataset(out, server.data.base)  # the plans kept and read again ...
            await server.load_facts(fresh)  # ... as all of them read whole
            assert plans == fresh.plans and len(plans) == 2
            # 钟楼区's plan kept from the first build, 武进区's read again
            assert [(plan["issuerName"], any(plan is kept for kept in first_plans)) for plan in plans] == [
                ("常州市武进区", False), ("常州市钟楼区", True)]
            await server.switch()  # nothing changed since: the same indexes, none read again
            again = _names(await server.indexes.names()), _texts(await server.indexes.tasks())
            await server.indexes.classes()  # not counted at the switches: on the first request (VoID's)
        finally:
            await server.close()
        return before, after, whole, again

    with caplog.at_level(logging.INFO, logger="govkg.web.background"):
        before, after, whole, again = run_coroutine(scenario())
    assert after == whole == again != before
    units = {(label, issuer) for label, _, issuer, *_ in after[0]["unit"]}
    assert ("住房城乡建设局", "常州市武进区") in units and ("住房城乡建设局", "常州市钟楼区") not in units
    statements = {text for _, text in after[1]}
    assert "地区生产总值增长9%。" in statements and "地区生产总值增长8%。" not in {
        text for iri, text in after[1] if "/plan/320412/" in iri}
    # 钟楼区's names and statements are those read from the first build
    assert [n for n in after[0]["unit"] if n[5].endswith("/gov/320404")] == [
        n for n in before[0]["unit"] if n[5].endswith("/gov/320404")]
    assert [pair for pair in after[1] if "/plan/320404/" in pair[0]] == [
        pair for pair in before[1] if "/plan/320404/" in pair[0]]
    how = [record.getMessage() for record in caplog.records if " index of the build " in record.getMessage()]
    assert sum("names index" in line and "read whole" in line for line in how) == 1  # the first build only
    assert sum("tasks index" in line and "updated: 1 issuer(s) read again" in line for line in how) == 1
    assert sum("names index" in line and "updated: 0 issuer(s) read again" in line for line in how) == 1
    counted = [at for at, line in enumerate(how) if "classes index" in line]
    switched = min(at for at, line in enumerate(how) if "updated:" in line)
    assert [at for at in counted if at > switched] == [len(how) - 1]  # after the switches, only when asked


def test_the_statements_of_an_issuer_are_told_by_its_plans_prefix_and_replaced_in_order():
    from govkg.rdf.iris import Minter
    from govkg.web.textsearch import replaced_texts, task_texts

    minter = Minter()
    one, ten = minter.plans_prefix("1"), minter.plans_prefix("10")
    texts = task_texts([[one + "2021/main/1", "甲"], [ten + "2021/main/1", "乙"], [one + "2022/main/1", "丙"],
                        [minter.plans_prefix("2") + "2021/main/1", "丁"]])
    updated = replaced_texts(texts, [one], [[one + "2023/main/1", "戊"]])
    # issuer 10's plans start with "…/plan/10/", which issuer 1's prefix "…/plan/1/" does not cover
    assert _texts(updated) == [(one + "2023/main/1", "戊"), (ten + "2021/main/1", "乙"),
                               (minter.plans_prefix("2") + "2021/main/1", "丁")]
    assert _texts(replaced_texts(texts, [], [])) == _texts(texts)
    # a statement read under none of the issuers' prefixes cannot be put in place: the index is read whole
    assert replaced_texts(texts, [one], [[ten + "2023/main/1", "己"]]) is None
    # several issuers at once, one of them new, one gone
    three = minter.plans_prefix("3")
    both = replaced_texts(texts, [ten, three, minter.plans_prefix("2")], [[three + "2020/main/2", "庚"],
                                                                        [ten + "2024/main/1", "辛"]])
    assert _texts(both) == [(one + "2021/main/1", "甲"), (one + "2022/main/1", "丙"), (ten + "2024/main/1", "辛"),
                            (three + "2020/main/2", "庚")]
    assert both.containing("辛") == [(ten + "2024/main/1", "辛")] and both.containing("乙") == []


def test_a_names_index_updated_holds_what_one_made_whole_holds():
    from govkg.web.ask import Name, NameIndex

    first = [Name("住建局", "住建局", "甲区", "u/1", gov="g/1"), Name("交通局", "交通局", "甲区", "u/2", gov="g/1"),
             Name("住建局", "住建局", "乙区", "u/3", gov="g/2"), Name("建设局", "住建局", "乙区", "u/3", gov="g/2")]
    fresh = [Name("住房城乡建设局", "住房城乡建设局", "乙区", "u/4", gov="g/2"),
             Name("教育局", "教育局", "丙区", "u/5", gov="g/3")]
    index = NameIndex({"unit": first, "person": [Name("张三", "张三", "甲区", "p/1", gov="g/1")]})
    updated = index.replaced(["g/2", "g/3"], {"unit": fresh})
    whole = NameIndex({"unit": [*first[:2], *fresh], "person": [Name("张三", "张三", "甲区", "p/1", gov="g/1")]})
    for kind in ("unit", "person"):
        assert updated.of_kind(kind) == whole.of_kind(kind)
        for issuer in ("甲区", "乙区", "丙区"):
            for prefix in ("", "住", "建"):
                assert updated.complete(kind, prefix, issuer) == whole.complete(kind, prefix, issuer)
    assert [(name.label, name.issuer) for name in updated.complete("unit", "住")] == [
        ("住建局", "甲区"), ("住房城乡建设局", "乙区")]
    assert updated.complete("unit", "建", "乙区") == [fresh[0]]  # 乙区's 建设局 is gone, its new name contains 建
    assert index.complete("unit", "建", "乙区")[0].label == "建设局"  # the index updated from is as it was


def test_builds_are_compared_issuer_by_issuer_only_with_the_same_fingerprint_and_base():
    from govkg.build import IssuerState
    from govkg.web.follow import Committed, changed_issuers

    def committed(fingerprint, base="https://example.org/", **issuers):
        states = {gov: IssuerState(digest, (f"g/{gov}",)) for gov, digest in issuers.items()}
        return Committed((1, 2, 3), Path("store"), base, None, {}, fingerprint, states)

    before = committed("f", a=b"1", b=b"2", c=b"3")
    assert changed_issuers(before, committed("f", a=b"1", b=b"9", d=b"4")) == {"b": ("g/b",), "c": (), "d": ("g/d",)}
    assert changed_issuers(before, committed("f", a=b"1", b=b"2", c=b"3")) == {}
    assert changed_issuers(before, committed("g", a=b"1", b=b"2", c=b"3")) is None
    assert changed_issuers(before, committed("f", "https://other.org/", a=b"1", b=b"2", c=b"3")) is None
    assert changed_issuers(before, Committed(None, Path("store"), None)) is None


def _two_samples_built(tmp_path: Path) -> tuple[Path, Path]:
    """Samples 000 (钟楼区) and 002 (武进区) copied to a folder and built with their dumps as shares."""
    import govkg
    from sample_docs import copy_samples

    source = tmp_path / "source"
    source.mkdir()
    copy_samples(("000", "002"), source)
    out = tmp_path / "out"
    govkg.build([source], out, dumps="shares")
    return source, out


def test_a_server_starts_from_the_indexes_the_last_one_kept_updated_to_the_build_it_serves(tmp_path, caplog):
    import logging

    import govkg
    from govkg.cache import cache_dir
    from govkg.web.app import Server, ServerSettings
    from govkg.web.ask import read_names
    from govkg.web.kept import entry_name
    from govkg.web.textsearch import read_task_texts

    source, out = _two_samples_built(tmp_path)

    async def served(*, whole: bool = False):
        """A server's indexes from its start (and the same read whole), and how each was made."""
        server = Server(ServerSettings(build_dir=out, follow=0))
        await server.pool.start()
        try:
            await server.load_facts()
            server.indexes.warm(classes=False)
            made = _names(await server.indexes.names()), _texts(await server.indexes.tasks())
            if whole:
                return made, (_names(await read_names(server)), _texts(await read_task_texts(server)))
            return made, None
        finally:
            await server.close()  # keeps its indexes for the next one

    def how() -> list[str]:
        """How each index was made, as logged ("updated from the index kept: 1 issuer(s) read again")."""
        lines = [record.getMessage().split(": ", 1)[1].rsplit(" in ", 1)[0] for record in caplog.records
                 if " index of the build " in record.getMessage()]
        caplog.clear()
        return lines

    with caplog.at_level(logging.INFO, logger="govkg.web.background"):
        first, _ = run_coroutine(served())
        assert how() == ["read whole", "read whole"]
        again, _ = run_coroutine(served())  # the same build: nothing read again
        assert how() == ["updated from the index kept: 0 issuer(s) read again"] * 2 and again == first
        changed = next(source.glob("002_*.txt"))  # by hand: a statement of the sample given another rate
        text = changed.read_text(encoding="utf-8")
        changed.write_text(text.replace("地区生产总值增长8%。", "地区生产总值增长9%。", 1), encoding="utf-8")
        govkg.build([source], out, dumps="shares")
        updated, whole = run_coroutine(served(whole=True))
        assert how()[:2] == ["updated from the index kept: 1 issuer(s) read again"] * 2
    assert updated == whole != first
    assert "地区生产总值增长9%。" in {text for _, text in updated[1]}
    # a kept entry that is not an index is ignored: the next server reads the index whole
    (cache_dir() / f"{entry_name(out, 'tasks')}.json").write_text('{"version": 1, "value": [1, 2]}', encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="govkg.web.background"):
        after, _ = run_coroutine(served())
        assert sorted(how()) == ["read whole", "updated from the index kept: 0 issuer(s) read again"]
    assert after == updated


def test_kept_indexes_of_folders_that_are_gone_are_removed_when_a_server_keeps_one(tmp_path, monkeypatch):
    import shutil

    import govkg
    from govkg.cache import entry_names, store_entry
    from govkg.web.follow import committed
    from govkg.web.kept import entry_name, keep_index, kept_index
    from govkg.web.textsearch import task_texts
    from sample_docs import copy_samples

    monkeypatch.setenv("GOVKG_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "source"
    source.mkdir()
    copy_samples(("000",), source)
    kept, gone = tmp_path / "kept", tmp_path / "gone"
    govkg.build([source], kept)
    shutil.copytree(kept, gone)
    texts = task_texts([["https://w3id.org/govkg/id/plan/320404/2021/main/1", "推进城市更新。"]])
    assert keep_index(gone, "tasks", committed(gone), texts)
    store_entry("server-tasks-0123456789abcdef", {"version": 1, "value": []})  # an older version's, unnamed
    store_entry("divisions", {"key": "k", "value": []})  # not a server's: left alone
    assert keep_index(kept, "tasks", committed(kept), texts)
    # both folders are build folders: only the older version's entry went
    assert entry_names("server-") == sorted(entry_name(folder, kind) for folder in (kept, gone)
                                             for kind in ("folder", "tasks"))
    shutil.rmtree(gone)
    assert keep_index(kept, "tasks", committed(kept), texts)
    assert entry_names("server-") == sorted(entry_name(kept, kind) for kind in ("folder", "tasks"))
    assert entry_names("divisions") == ["divisions"]
    assert kept_index(kept, "tasks") is not None  # what it kept is there to be read back


def test_a_server_starts_from_the_plans_the_last_one_kept_updated_to_the_build_it_serves(tmp_path, caplog):
    import logging

    import govkg
    from govkg.web.app import Server, ServerSettings

    source, out = _two_samples_built(tmp_path)

    async def started(*, whole: bool = False):
        """The plans of a server from its start (and, if asked, those it reads whole)."""
        server = Server(ServerSettings(build_dir=out, follow=0))
        await server.start()
        try:
            plans = server.data.plans
            if whole:
                await server.load_facts()
            return plans, server.data.plans if whole else None
        finally:
            await server.close()  # keeps its plans for the next one

    def how() -> list[str]:
        lines = [record.getMessage().split(": ", 1)[1].rsplit(" in ", 1)[0] for record in caplog.records
                 if record.getMessage().startswith("the plans of the build ")]
        caplog.clear()
        return lines

    async def never_started() -> None:  # its data has no plans: it keeps none
        await Server(ServerSettings(build_dir=out, follow=0)).close()

    with caplog.at_level(logging.INFO, logger="govkg.web.app"):
        run_coroutine(never_started())
        first, _ = run_coroutine(started())
        assert how() == ["read whole"] and len(first) == 2
        again, _ = run_coroutine(started())
        assert how() == ["updated: 0 issuer(s) read again"] and again == first
        changed = next(source.glob("002_*.txt"))  # by hand: sample 002 (武进区, 2018) given another title
        changed.write_text(changed.read_text(encoding="utf-8").replace(
            "《政府工作报告》目标任务责任分解表", "《政府工作报告》重点任务责任分解表", 1), encoding="utf-8")
        govkg.build([source], out, dumps="shares")
        updated, whole = run_coroutine(started(whole=True))
        assert how() == ["updated: 1 issuer(s) read again", "read whole"]
    assert updated == whole != first
    titles = {plan["issuerName"]: plan["title"] for plan in updated}
    assert titles == {"常州市武进区": "《政府工作报告》重点任务责任分解表",
                      "常州市钟楼区": "2021年《政府工作报告》主要目标任务责任分解表"}
