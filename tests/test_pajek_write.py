"""The Pajek writer gives back, through the project's reader, what it was given."""

import numpy as np
import pytest

from bibnet.pajek import read_network, write_network


def test_symmetric_round_trip_with_loops_fractions_and_na(tmp_path):
    codes = ["NA", "KR", "Åland"]
    matrix = np.array([[7, 1 / 3, 0], [1 / 3, 0, 2], [0, 2, 1e-9]])
    write_network(tmp_path / "x.net", codes, matrix)
    network = read_network(tmp_path / "x.net")
    assert network.codes == codes
    np.testing.assert_array_equal(network.matrix, matrix)
    assert "*edges" in (tmp_path / "x.net").read_text(encoding="utf-8-sig")


def test_asymmetric_matrix_is_written_as_arcs(tmp_path):
    matrix = np.array([[0, 3], [1, 0]])
    write_network(tmp_path / "x.net", ["GB", "US"], matrix)
    assert "*arcs" in (tmp_path / "x.net").read_text(encoding="utf-8-sig")
    np.testing.assert_array_equal(read_network(tmp_path / "x.net").matrix, matrix)


def test_same_input_same_bytes(tmp_path):
    matrix = np.array([[0, 2], [2, 0]])
    write_network(tmp_path / "a.net", ["GB", "US"], matrix, ("year 2005",))
    write_network(tmp_path / "b.net", ["GB", "US"], matrix, ("year 2005",))
    assert (tmp_path / "a.net").read_bytes() == (tmp_path / "b.net").read_bytes()


@pytest.mark.parametrize(("codes", "message"), [(["GB"], "does not fit"),
                                                (['G"B', "US"], "double quote")])
def test_bad_input_is_refused(tmp_path, codes, message):
    with pytest.raises(ValueError, match=message):
        write_network(tmp_path / "x.net", codes, np.zeros((2, 2)))
