import { RoomScreen } from "@/components/room/room-view";

export const metadata = { title: "Room · Sync Beats" };

export default async function RoomPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  // Room codes are case-insensitive; the canonical form is upper case.
  return <RoomScreen key={code} code={decodeURIComponent(code).trim().toUpperCase()} />;
}
