"""Unknown names in a named query's parameters: an error suggesting the names the data knows, in the CLI (exit 2)
and the web server (404 / 400), never a silent "0 rows". What the samples hold: 钟楼区 has plans for 2021
(000), 2022 (001, 003) and 2025 (004), 武进区 for 2018 (002) and 2023; 钟楼区's 住建局 is printed 区住建局 (001)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from govkg.cli import main
from govkg.lexicon import load_lexicon
from govkg.publish import publish
from govkg.query import EmbeddedStore, RemoteEndpoint, find_query
from govkg.query.names_check import UnknownNameError, backend_select, check_names, edit_distance, similarity, suggest
from local_servers import start_server

LEX = load_lexicon()


@pytest.fixture(scope="module")
def store(built):
    return EmbeddedStore(built)


def check(store, name: str, **params) -> None:
    check_names(find_query(name), params, backend_select(store), LEX)


def refusal(store, name: str, **params) -> UnknownNameError:
    with pytest.raises(UnknownNameError) as caught:
        check(store, name, **params)
    return caught.value


def test_unknown_unit_suggests_the_issuers_nearest_unit(store):
    error = refusal(store, "q01", unit="住建委", issuer="钟楼区")
    assert str(error) == "no unit 住建委 in 钟楼区; did you mean 住建局 (区住建局)?"
    assert (error.param, error.value, error.suggestions) == ("unit", "住建委", ["住建局 (区住建局)"])


def test_unknown_unit_without_issuer_and_without_any_similar_name(store):
    assert str(refusal(store, "q01", unit="住建委")).startswith("no unit 住建委 in the store; did you mean 住建局")
    error = refusal(store, "q02", unit="不存在局", issuer="钟楼区")
    assert str(error) == "no unit 不存在局 in 钟楼区 (no similar name either)" and error.suggestions == []


def test_name_of_another_issuer_says_where_it_is_known(store):
    error = refusal(store, "q03", person="谢志诚", issuer="武进区")
    assert str(error) == "no person 谢志诚 in 武进区 (it is named in 常州市钟楼区)"


def test_unknown_issuer(store):
    error = refusal(store, "q01", unit="住建局", issuer="天宁区")
    assert str(error).startswith("no plan of issuer 天宁区 in the store; did you mean ")
    assert error.param == "issuer" and "常州市钟楼区 (钟楼区)" in error.suggestions and len(error.suggestions) <= 3
    assert "issuers with plans: 常州市武进区, 常州市钟楼区" in str(refusal(store, "q05", issuer="火星区"))


@pytest.mark.parametrize(("params", "message"), [
    ({"issuer": "钟楼区", "year": "1999"}, "no plan of 钟楼区 for 1999; its plans are for 2021, 2022, 2025"),
    ({"year": "1999"}, "no plan for 1999 in the store; plans are for 2018, 2021, 2022, 2023, 2025"),
])
def test_unknown_year_lists_the_years_the_data_has(store, params, message):
    error = refusal(store, "q01", unit="住建局", **params)
    assert str(error) == message and error.param == "year"


def test_each_year_parameter_is_checked(store):
    assert refusal(store, "q08", unit="住建局", year1="2021", year2="2030").param == "year2"


def test_other_kinds_suggest_too(store):
    assert refusal(store, "q03", person="谢志成").suggestions == ["谢志诚"]
    assert refusal(store, "q06", goal="主要预期指标").suggestions == ["主要预期目标"]
    assert refusal(store, "q11", group="各街到", issuer="钟楼区").suggestions[0] == "各街道"


@pytest.mark.parametrize("params", [
    {"unit": "住建局", "issuer": "钟楼区", "year": "2022"},
    {"unit": "钟楼区住建局", "issuer": "320404"},  # spellings the lexicon expands, an issuer by its code
    {"unit": "自然资源和规划局", "issuer": "钟楼区"},  # a lexicon alias of 资规分局
    {"unit": "住建局", "issuer": "武进区", "year": "2023"},  # known, though Q1 has no row for it
])
def test_known_names_pass_with_one_indexed_lookup_each(store, params):
    asked: list[str] = []
    select = backend_select(store)

    def counting(text: str) -> list[dict[str, str]]:
        asked.append(text)
        return select(text)

    check_names(find_query("q01"), params, counting, LEX)
    assert len(asked) == len(params)  # no listing of every name when the name is known
    assert all(text.rstrip().endswith("LIMIT 1") for text in asked)


def test_suggestions_are_few_and_ranked():
    assert edit_distance("住建委", "住建局") == 1 and edit_distance("", "局") == 1
    assert similarity("住建委", "住建局") > similarity("住建委", "区住建局") > similarity("住建委", "财政局")
    from govkg.query.names_check import _Candidate
    candidates = [_Candidate(name, ()) for name in ("住建中心", "住建局", "住建委员会", "区住建委", "财政局")]
    assert suggest(["住建委"], candidates) == ["区住建委", "住建委员会", "住建局"]  # the three most alike
    assert suggest(["住建委"], [_Candidate("住建局", ("钟楼区住建局", "区住建局"))]) == ["住建局 (区住建局)"]


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_unknown_name_exits_2_with_one_line(built, capsys):
    code, out, err = run(["query", "q01-cooperating-tasks", "--param", "unit=住建委", "--issuer", "钟楼区",
                          "--store", str(built)], capsys)
    assert code == 2 and out == ""
    assert err == "govkg: error: no unit 住建委 in 钟楼区; did you mean 住建局 (区住建局)?\n"
    for extra in (["--issuer", "天宁区"], ["--issuer", "钟楼区", "--year", "1999"]):
        code, out, err = run(["query", "q01", "--param", "unit=住建局", *extra, "--store", str(built)], capsys)
        assert code == 2 and out == "" and len(err.splitlines()) == 1 and "Traceback" not in err


def test_cli_known_name_without_rows_answers_zero_rows(built, capsys):
    code, out, err = run(["query", "q01", "--param", "unit=住建局", "--issuer", "武进区", "--store", str(built)],
                         capsys)
    assert code == 0 and "(0 rows)" in out and err == ""


def test_remote_endpoint_gives_the_same_answer(built, oxigraph_server):
    publish(built, f"{oxigraph_server}/store", endpoint=f"{oxigraph_server}/query")
    endpoint = RemoteEndpoint(f"{oxigraph_server}/query")
    assert str(refusal(endpoint, "q01", unit="住建委", issuer="钟楼区")) == \
        "no unit 住建委 in 钟楼区; did you mean 住建局 (区住建局)?"
    check(endpoint, "q01", unit="区住建局", issuer="钟楼区", year="2022")


@pytest.fixture(scope="module")
def web(built):
    origin, process = start_server(built)
    yield origin
    process.terminate()
    process.wait(timeout=20)


def get(origin: str, path: str, params: dict[str, str], accept: str = "*/*") -> tuple[int, str, str]:
    url = f"{origin}{path}?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode("utf-8")


def test_web_unknown_name_is_404_with_the_message(web):
    message = "no unit 住建委 in 钟楼区; did you mean 住建局 (区住建局)?"
    status, media, body = get(web, "/queries/q01", {"unit": "住建委", "issuer": "钟楼区"})
    assert (status, body) == (404, message + "\n") and media.startswith("text/plain")
    status, media, body = get(web, "/queries/q01", {"unit": "住建委", "issuer": "钟楼区"}, "application/json")
    assert status == 404 and json.loads(body) == {"error": message, "parameter": "unit", "value": "住建委",
                                                  "suggestions": ["住建局 (区住建局)"]}
    status, media, body = get(web, "/queries/q01", {"unit": "住建委", "issuer": "钟楼区"}, "text/html")
    assert status == 404 and media.startswith("text/html") and message in body
    status, _, body = get(web, "/queries/q01", {"unit": "住建局", "issuer": "钟楼区", "year": "1999"})
    assert status == 404 and "its plans are for 2021, 2022, 2025" in body


def test_web_known_names_bind_and_bad_values_are_400(web):
    status, media, body = get(web, "/queries/q01", {"unit": "住建局", "issuer": "武进区"})
    assert status == 200 and media.startswith("application/sparql-query")
    assert 'VALUES (?p_unit ?p_year ?p_issuer) {\n    ("住建局"@zh UNDEF "常州市武进区"@zh)\n  }' in body
    assert "# @params" not in body
    status, _, body = get(web, "/queries/q01", {"unit": "住建局", "year": "19x9"})
    assert status == 400 and "must be a year" in body
    status, _, body = get(web, "/queries/q01", {})
    assert status == 200 and "# @params" in body  # without parameters: the query as written
