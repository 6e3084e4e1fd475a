//! Go to definition on an `aligns_to`: the id of the objective it names, in the file of its team and quarter
//! (the editor's text while that file is open, else the file on disk).

use lsp_types::{Location, Range};

use crate::core::diagnostic::Pos;
use crate::core::locate::{Place, place_at, token_at};
use crate::core::rules;
use crate::lsp::position::Lines;
use crate::lsp::world::{File, Project};

pub fn at(project: &Project, path: &str, file: &File, pos: Pos) -> Option<Location> {
    let okr = file.okr()?;
    let Place::Alignment(o) = place_at(okr, Lines::new(file.text()).index(), pos)? else {
        return None;
    };
    let target = &okr.objectives[o].aligns_to.as_ref()?.value;
    let quarter = rules::quarter_of(path, okr)?;
    let (target_path, target_file, index) =
        project.objective(quarter, &target.team, &target.objective)?;
    let id = target_file.okr()?.objectives[index].id.as_ref()?;
    let lines = Lines::new(target_file.text());
    let span = token_at(lines.index(), id.pos);
    Some(Location::new(
        project.uri(target_path)?,
        Range::new(lines.position(span.start), lines.position(span.end)),
    ))
}
