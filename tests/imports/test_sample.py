from legaltracker.imports import services

from .conftest import SAMPLE


def test_sample_dry_run_then_real_run(hos, import_day, capsys):
    content = SAMPLE.read_bytes()
    dry = services.import_sheet(actor=hos, content=content, file_name=SAMPLE.name, dry_run=True)
    print(dry.summary())
    for p in dry.problems[:40]:
        print(p.line())
    real = services.import_sheet(actor=hos, content=content, file_name=SAMPLE.name, dry_run=False)
    print(real.summary())
    out = capsys.readouterr().out
    print(out)
    assert False, out
