"""Multi-relational Pajek networks: written as Pajek writes them, read back relation by relation."""

import numpy as np
import pytest

from bibnet.pajek import PajekFormatError, read_network, read_relations, write_relations

CODES = ["NA", "KR", "GB"]


def test_relations_round_trip_with_fractions_loops_and_empty_relations(tmp_path):
    everything = np.array([[4, 1 / 3, 2], [1 / 3, 0, 7], [2, 7, 0]])
    engineering = np.array([[0, 0, 1], [0, 0, 2.5], [1, 2.5, 0]])
    directed = np.array([[0, 3, 0], [1, 0, 0], [0, 0, 0]])
    relations = [("all", everything), ("Engineering", engineering),
                 ("Health Sciences", np.zeros((3, 3))), ("cited", directed)]
    write_relations(tmp_path / "x.net", CODES, relations, ("year 2015",))
    read = read_relations(tmp_path / "x.net")
    assert read.codes == CODES and read.numbers == (1, 2, 3, 4)
    assert read.names == ("all", "Engineering", "Health Sciences", "cited")
    for (name, matrix), got in zip(relations, read.matrices):
        np.testing.assert_array_equal(got, matrix)
        np.testing.assert_array_equal(read.relation(name), matrix)
    text = (tmp_path / "x.net").read_text(encoding="utf-8-sig")
    assert '*edges :2 "Engineering"' in text and '*arcs :4 "cited"' in text


def test_a_file_as_pajek_writes_it(tmp_path):
    """Relations in any order, an arcs and an edges section of the same relation, CRLF."""
    text = ('*Vertices 3\r\n1 "NA"\r\n2 "KR"\r\n3 "GB"\r\n*Arcs :2 "Medicine"\r\n1 2 4\r\n'
            '*Edges :1 "all"\r\n1 2 9\r\n*Edges :2 "Medicine"\r\n2 3 1\r\n')
    (tmp_path / "p.net").write_text(text, encoding="utf-8", newline="")
    read = read_relations(tmp_path / "p.net")
    assert read.names == ("all", "Medicine")
    assert read.relation("Medicine").tolist() == [[0, 4, 0], [0, 0, 1], [0, 1, 0]]
    with pytest.raises(KeyError, match="the relations are all, Medicine"):
        read.relation("Physics")


def test_one_relation_reads_as_a_network_and_several_are_never_added_up(tmp_path):
    matrix = np.array([[0, 2, 0], [2, 0, 1], [0, 1, 0]])
    write_relations(tmp_path / "one.net", CODES, [("all", matrix)])
    np.testing.assert_array_equal(read_network(tmp_path / "one.net").matrix, matrix)
    write_relations(tmp_path / "two.net", CODES, [("all", matrix), ("Medicine", matrix)])
    with pytest.raises(PajekFormatError, match="2 relations .*read_relations"):
        read_network(tmp_path / "two.net")


@pytest.mark.parametrize(("relations", "message"), [
    ([], "at least one relation"),
    ([("", np.zeros((3, 3)))], "non-empty"),
    ([('say "all"', np.zeros((3, 3)))], "double quote"),
    ([("all", np.zeros((2, 2)))], "does not fit"),
])
def test_bad_relations_are_refused(tmp_path, relations, message):
    with pytest.raises(ValueError, match=message):
        write_relations(tmp_path / "x.net", CODES, relations)
