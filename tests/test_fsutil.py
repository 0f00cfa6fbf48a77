import contextlib
import os

from briefgen.fsutil import write_atomic


def test_written_file_has_the_umask_mode_not_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "memo.pdf"
        write_atomic(target, b"%PDF-")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


def test_replaces_an_existing_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out" / "memo.docx"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["memo.docx"]


def test_a_failed_write_leaves_neither_file_nor_temporary(tmp_path):
    target = tmp_path / "memo.pdf"
    with contextlib.suppress(TypeError):
        write_atomic(target, object())  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_an_output_folder_under_a_file_is_named_in_one_line(tmp_path):
    import pytest

    from briefgen.errors import BriefgenError
    from briefgen.fsutil import check_writable

    (tmp_path / "notes").write_text("a file")
    with pytest.raises(BriefgenError, match="notes is not a folder"):
        check_writable(tmp_path / "notes" / "out")


def test_stale_temporaries_are_removed_and_real_files_kept(tmp_path):
    from briefgen.fsutil import remove_stale_temps

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".memo.pdf.k3j4h5g6.tmp").write_bytes(b"half")
    (tmp_path / "a" / "memo.pdf").write_bytes(b"%PDF-")
    (tmp_path / "a" / "notes.tmp").write_bytes(b"someone's own file")
    assert remove_stale_temps(tmp_path) == 1
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["memo.pdf", "notes.tmp"]
